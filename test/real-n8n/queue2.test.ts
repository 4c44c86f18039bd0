import { queueModeScenarios } from './queueScenarios';

queueModeScenarios(2);
