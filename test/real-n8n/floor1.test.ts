import { floorScenarios } from './floorScenarios';

floorScenarios(1);
