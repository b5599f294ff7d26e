/** Renders "Online" or "Offline" with a coloured dot. */
export function OnlineStatus({ online }: { online: boolean }) {
  return (
    <span
      className={`online-status ${online ? 'online-status--online' : 'online-status--offline'}`}
      data-testid="online-status"
      data-online={online}
    >
      <span className="online-status__dot" aria-hidden="true" />
      {online ? 'Online' : 'Offline'}
    </span>
  );
}
