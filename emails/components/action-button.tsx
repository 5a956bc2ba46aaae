/** The one call to action of a transactional email, drawn in the theme's accent, a tap target over 44 px tall. */
import { Button } from "@react-email/button";
import type { Theme } from "../theme.ts";
import { fontOf } from "./block.tsx";
import { DARK } from "./email-layout.tsx";

export function ActionButton({ theme, href, label }: { theme: Theme; href: string; label: string }) {
  return (
    <Button
      className={DARK.accentFill}
      href={href}
      style={{
        ...fontOf(theme.typography.body),
        backgroundColor: theme.light.accent,
        color: theme.light.onAccent,
        borderRadius: "4px",
        padding: "14px 24px",
        fontSize: "16px",
        fontWeight: 700,
        textDecoration: "none",
      }}
    >
      {label}
    </Button>
  );
}
