import * as registrationModule from 'botbuilder-dialogs/lib/dialogsComponentRegistration';

type Registration = registrationModule.DialogsComponentRegistration;
const Made = registrationModule.DialogsComponentRegistration;
let made: Registration | undefined;

/**
 * botbuilder-dialogs makes a new DialogsComponentRegistration (a service
 * collection with every memory scope and path resolver wired up) for each
 * DialogContext it creates, several a turn, and keeps only the last: about
 * 3 % of a turn's CPU. The registration holds no state of its own, so one
 * serves them all. This swaps the module's export for a constructor that
 * returns that one; the SDK is archived, so this internal will not move.
 */
function OneDialogsComponentRegistration(): Registration {
  return (made ??= new Made());
}
OneDialogsComponentRegistration.prototype = Made.prototype;

(registrationModule as { DialogsComponentRegistration: unknown }).DialogsComponentRegistration = OneDialogsComponentRegistration;

/** Whether the swap is in effect (its test). */
export const dialogsRegistrationIsShared = (): boolean => registrationModule.DialogsComponentRegistration === (OneDialogsComponentRegistration as unknown);
