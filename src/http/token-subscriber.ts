/**
 * The links in emails carry a signed token (?token=): one middleware resolves it and puts
 * the subscriber and the token's claims on `c.var`, or answers the link's problem as a
 * page (400 for a token that is not ours, 410 for one that expired or a subscriber gone).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { linkProblemPage } from "../pages/subscription-pages.ts";
import type { Subscriber } from "../subscribers/store.ts";
import { resolveToken, type TokenProblem } from "../subscribers/subscription-flow.ts";
import type { TokenClaims, TokenPurpose } from "../subscribers/tokens.ts";
import type { AppEnv } from "./app-env.ts";

export type TokenEnv = AppEnv & { Variables: { subscriber: Subscriber; claims: TokenClaims; token: string } };

type ProblemAnswer = (c: Context<TokenEnv>, problem: TokenProblem) => Response | Promise<Response>;

const linkProblem: ProblemAnswer = (c, problem) => c.html(linkProblemPage(problem), problem === "invalid" ? 400 : 410);

// The app factory's middleware keeps the app's variables; this one adds its own.
export const withTokenSubscriber = (purpose: TokenPurpose, answerProblem: ProblemAnswer = linkProblem) =>
  createMiddleware<TokenEnv>(async (c, next) => {
    const token = c.req.query("token");
    const resolved = await resolveToken(c.env.DB, c.var.config.signingSecret, token, purpose, new Date());
    if (!resolved.ok) return answerProblem(c, resolved.problem);
    c.set("subscriber", resolved.subscriber);
    c.set("claims", resolved.claims);
    c.set("token", token ?? "");
    await next();
  });
