import { moneybirdTriggerScenarios } from './moneybirdTriggerScenarios';

moneybirdTriggerScenarios(2);
