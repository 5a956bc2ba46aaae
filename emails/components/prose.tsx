/** Body text in the theme's colours; `muted` for secondary lines. */
import { Text } from "@react-email/text";
import type { ReactNode } from "react";
import type { Theme } from "../theme.ts";
import { DARK } from "./email-layout.tsx";

export function Prose({ theme, muted, children }: { theme: Theme; muted?: boolean; children: ReactNode }) {
  return (
    <Text
      className={muted ? DARK.muted : DARK.text}
      style={{
        margin: "0 0 16px",
        fontSize: muted ? "13px" : `${theme.typography.baseSize}px`,
        lineHeight: theme.typography.lineHeight,
        color: muted ? theme.light.muted : theme.light.text,
      }}
    >
      {children}
    </Text>
  );
}
