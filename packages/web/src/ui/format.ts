import type { RiskLevel, Role, SurveyStatus } from '@avior/contract';

// Display helpers shared by the screens. Dates show in the device's time zone, except calendar
// dates (YYYY-MM-DD), which have no time zone and are formatted in UTC so the day never shifts.

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

const DAY_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});

const CALENDAR_DAY_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  timeZone: 'UTC',
});

const DATE_TIME_FORMAT = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export const SURVEY_STATUS_LABELS: Readonly<Record<SurveyStatus, string>> = {
  assigned: 'Assigned',
  in_progress: 'In progress',
  submitted: 'Submitted',
  reviewed: 'Reviewed',
};

export const RISK_LABELS: Readonly<Record<RiskLevel, string>> = {
  low: 'Low risk',
  medium: 'Medium risk',
  high: 'High risk',
  critical: 'Critical risk',
};

/** Formats an ISO time or a YYYY-MM-DD calendar date as "14 Mar 2024"; '' for null. */
export function formatDay(value: string | null | undefined): string {
  if (!value) {
    return '';
  }

  if (CALENDAR_DATE.test(value)) {
    return CALENDAR_DAY_FORMAT.format(new Date(`${value}T00:00:00Z`));
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : DAY_FORMAT.format(date);
}

/** Formats an ISO time as "14 Mar 2024, 10:32" in the device's time zone; '' for null. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) {
    return '';
  }

  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : DATE_TIME_FORMAT.format(date);
}

/** Formats how long ago an ISO time was: "just now", "5 min ago", "3 h ago", else the date. */
export function formatTimeAgo(value: string | null | undefined, now = Date.now()): string {
  if (!value) {
    return 'never';
  }

  const seconds = Math.round((now - new Date(value).getTime()) / 1000);
  if (Number.isNaN(seconds)) {
    return value;
  }

  if (seconds < 60) {
    return 'just now';
  }

  if (seconds < 3600) {
    return `${Math.floor(seconds / 60)} min ago`;
  }

  return seconds < 86_400 ? `${Math.floor(seconds / 3600)} h ago` : formatDateTime(value);
}

/** Formats a byte count as "512 B", "1.4 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) {
    return `${bytes} B`;
  }

  const units = ['KB', 'MB', 'GB'];
  let size = bytes / 1024;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }

  return `${size.toFixed(size < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Returns a whole percentage of done over total, 0 when total is 0. */
export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((100 * done) / total)) : 0;
}

/** Returns true for roles that use the manager screens (viewers read them only). */
export function usesManagerScreens(role: Role): boolean {
  return role !== 'inspector';
}

/** Returns true for roles that may change things on the manager screens. */
export function canManage(role: Role): boolean {
  return role === 'manager' || role === 'admin';
}

/** Returns the first screen of a role: inspectors their surveys, others the manager list. */
export function homePathFor(role: Role): string {
  return usesManagerScreens(role) ? '/manage' : '/surveys';
}

/** Returns the message of a thrown value, for showing to a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) {
    return error.message;
  }

  return typeof error === 'string' ? error : 'Something went wrong';
}

/** Starts a message with a capital letter, so a validation message reads as a sentence. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
