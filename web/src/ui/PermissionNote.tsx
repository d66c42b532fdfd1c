import type { Permit } from '../auth/permissions';

/**
 * Why the buttons beside it are disabled for this person ("Viewers can't acknowledge alerts — ask an operator"):
 * said where they look, rather than a refusal after they click. Nothing when they may act.
 */
export function PermissionNote({ permit, className = '' }: { permit: Permit; className?: string }) {
  if (permit.allowed) return null;
  return (
    <p className={`permission-note ${className}`.trim()} data-testid="permission-note">
      {permit.reason}
    </p>
  );
}
