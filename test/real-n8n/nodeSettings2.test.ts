import { nodeSettingsScenarios } from './nodeSettingsScenarios';

nodeSettingsScenarios(2);
