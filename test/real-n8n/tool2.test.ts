import { toolScenarios } from './toolScenarios';

toolScenarios(2);
