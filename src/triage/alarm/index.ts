/** Alarms: the verdict chain over the five steps, the alarm record, and its OCSF form. */
export { type BuildAlarmOptions, buildAlarm } from './build.js';
export { type AlarmDecision, decideAlarm } from './decide.js';
export { alarmsJsonl, alarmToOcsf } from './ocsf.js';
export { alarmUid } from './uid.js';
