import { realN8nScenarios } from './scenarios';

realN8nScenarios(1);
