// One formatter each, made once: toLocaleTimeString with options builds a new one on every call, which cost
// seconds when the queue of 5,000 incidents rendered its times.
const CLOCK = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const SHORT = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });

/** Times as a control room reads them: 24-hour clock, seconds shown. */
export function clockTime(instant: string): string {
  return CLOCK.format(new Date(instant));
}

export function shortTime(instant: string): string {
  return SHORT.format(new Date(instant));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
