import { nodeSettingsScenarios } from './nodeSettingsScenarios';

nodeSettingsScenarios(1);
