import { floorScenarios } from './floorScenarios';

floorScenarios(2);
