export { MainDialog, MAIN_DIALOG } from './main-dialog';
export type { MainDialogDeps } from './main-dialog';
export { CHECK_SPECS, createChecks } from './checks';
export type { StatusSource, StepChecks } from './checks';
export type { Thresholds } from './routing';
export type { ConversationProgress, UserHistory } from './troubleshoot-dialog';
export { setTurnUnderstanding, getTurnUnderstanding } from './turn-understanding';
