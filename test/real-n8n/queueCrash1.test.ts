import { queueCrashScenarios } from './queueCrashScenarios';

queueCrashScenarios(1);
