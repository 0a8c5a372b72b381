// Panels report what they drew (tests and logs read it) once the browser has laid it out and
// painted. A report scheduled for a screen that was replaced before those frames would describe
// something no longer shown (for example a loading screen carrying the new target): it is dropped.

let screen = 0;

/** Call when the panel's content is replaced: reports scheduled for the old content are dropped. */
export function screenReplaced(): void {
  screen++;
}

/** Replaces the screen and calls `report` after the next layout and paint, unless replaced again first. */
export function reportAfterPaint(report: () => void): void {
  const mine = ++screen;
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (mine === screen) report();
  }));
}
