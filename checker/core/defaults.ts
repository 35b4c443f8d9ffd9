/**
 * The dojo's defaults, in one place: the CLI's options and help, `doctor`, `start`, the
 * checker's messages and the board all read them here, so a port or a speed is changed once.
 * No imports: the board (a browser bundle) reads this file too.
 */

/** The local cloud's port (`npm start`, `npm run dev`); LocalStack's too, so the AWS CLI habits carry over. */
export const CLOUD_PORT = 4566;

/** The guide's port (VitePress's own default). */
export const GUIDE_PORT = 5173;

/** The instructor's room (`npm run room`): next to the cloud's, clear of both. */
export const ROOM_PORT = 4577;

/** The guide's address, as `npm start` serves it; learner-facing messages link into it. */
export const GUIDE_URL = `http://localhost:${GUIDE_PORT}`;

/** The local cloud's address, as the board and the printed `export` line use it. */
export const CLOUD_URL = `http://127.0.0.1:${CLOUD_PORT}`;

/** `npm start`'s clock: a virtual minute every real second, so a schedule shows on the board at once. */
export const START_SPEED = 60;

/** `npm run dev`'s clock: real time, for poking at the backend by hand. */
export const DEV_SPEED = 1;
