import { toolScenarios } from './toolScenarios';

toolScenarios(1);
