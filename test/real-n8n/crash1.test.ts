import { crashScenarios } from './crashScenarios';

crashScenarios(1);
