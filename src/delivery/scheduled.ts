/** Cron trigger: opens an edition for each digest due at controller.cron. */

export async function scheduled(_controller: ScheduledController, _env: Env, _ctx: ExecutionContext): Promise<void> {}
