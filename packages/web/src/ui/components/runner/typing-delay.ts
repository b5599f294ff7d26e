/** Pause in typing after which a text, number or note is written to the device database. */
export const TYPING_DELAY_MS = 400;
