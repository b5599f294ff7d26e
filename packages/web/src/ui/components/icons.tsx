import type { ReactNode } from 'react';

// Line icons drawn on a 24 by 24 grid with the current text colour. They are decorative: the
// text next to each one names the action.

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export function ClipboardIcon() {
  return (
    <Icon>
      <rect x="5" y="4" width="14" height="17" rx="2" />
      <path d="M9 4h6v3H9zM8.5 12l2 2 4-4M8.5 17h7" />
    </Icon>
  );
}

export function BuildingIcon() {
  return (
    <Icon>
      <path d="M4 21V5l8-2v18M12 9l8 2v10M3 21h18M7.5 8h1M7.5 12h1M7.5 16h1M15.5 14h1M15.5 17h1" />
    </Icon>
  );
}

export function SyncIcon() {
  return (
    <Icon>
      <path d="M20 11a8 8 0 0 0-14.3-4.9L4 8M4 4v4h4M4 13a8 8 0 0 0 14.3 4.9L20 16M20 20v-4h-4" />
    </Icon>
  );
}

export function BellIcon() {
  return (
    <Icon>
      <path d="M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 21h4" />
    </Icon>
  );
}

export function ChartIcon() {
  return (
    <Icon>
      <path d="M4 20h16M7 16v-5M12 16V6M17 16v-8" />
    </Icon>
  );
}
