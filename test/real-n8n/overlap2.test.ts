import { overlapScenarios } from './overlapScenarios';

overlapScenarios(2);
