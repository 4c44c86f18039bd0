import { retryOnFailScenarios } from './retryOnFailScenarios';

retryOnFailScenarios(2);
