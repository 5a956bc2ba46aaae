/** Queue consumer: sends each delivery message as one provider batch. */

export async function queue(_batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext): Promise<void> {}
