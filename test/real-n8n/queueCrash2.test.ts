import { queueCrashScenarios } from './queueCrashScenarios';

queueCrashScenarios(2);
