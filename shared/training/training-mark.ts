/**
 * What marks anything that leaves a training workstation or server (a printed paper form, an exported review, an
 * exported audit answer) as an exercise's, so it is never taken for a live record once it is off the screen.
 */
export const TRAINING_MARK = 'TRAINING EXERCISE — NOT LIVE';

/** The word a file's name and a watermark begin with. */
export const TRAINING_WORD = 'TRAINING';
