import { queueModeScenarios } from './queueScenarios';

queueModeScenarios(1);
