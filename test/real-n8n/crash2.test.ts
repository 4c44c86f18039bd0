import { crashScenarios } from './crashScenarios';

crashScenarios(2);
