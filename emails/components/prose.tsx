/** Body text in the theme's colours; `muted` for secondary lines (at least 14 px: they may hold a link). */
import type { ReactNode } from "react";
import type { Theme } from "../theme.ts";
import { fontOf } from "./block.tsx";
import { DARK } from "./email-layout.tsx";

export function Prose({ theme, muted, children }: { theme: Theme; muted?: boolean; children: ReactNode }) {
  return (
    <p
      className={muted ? DARK.muted : DARK.text}
      style={{
        ...fontOf(theme.typography.body),
        margin: "0 0 16px",
        fontSize: muted ? "14px" : `${theme.typography.baseSize}px`,
        lineHeight: theme.typography.lineHeight,
        color: muted ? theme.light.muted : theme.light.text,
      }}
    >
      {children}
    </p>
  );
}
