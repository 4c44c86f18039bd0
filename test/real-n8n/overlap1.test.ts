import { overlapScenarios } from './overlapScenarios';

overlapScenarios(1);
