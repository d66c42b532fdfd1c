/**
 * Durations for people: "850 ms", "4.2 s", "3 min 12 s", "2 h 5 min", "3 d 4 h".
 * Two units at most — in a timeline the leading unit is what matters.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '−' : '';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  if (abs < 10_000) return `${sign}${trimZero((abs / 1000).toFixed(1))} s`;
  const totalSeconds = Math.round(abs / 1000);
  if (totalSeconds < 60) return `${sign}${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) return `${sign}${pair(totalMinutes, 'min', totalSeconds % 60, 's')}`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return `${sign}${pair(totalHours, 'h', totalMinutes % 60, 'min')}`;
  return `${sign}${pair(Math.floor(totalHours / 24), 'd', totalHours % 24, 'h')}`;
}

/** Offset from a reference point, always signed: "+0 ms", "+1.2 s", "+3 min 5 s". */
export function formatOffset(ms: number): string {
  const text = formatDuration(ms);
  return ms < 0 ? text : `+${text}`;
}

function pair(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

function trimZero(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text;
}
