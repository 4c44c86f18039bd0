import { retryOnFailScenarios } from './retryOnFailScenarios';

retryOnFailScenarios(1);
