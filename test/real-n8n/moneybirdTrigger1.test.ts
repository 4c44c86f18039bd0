import { moneybirdTriggerScenarios } from './moneybirdTriggerScenarios';

moneybirdTriggerScenarios(1);
