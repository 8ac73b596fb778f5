/** The BullMQ queue that carries Ebbflow's own jobs (not a tenant's queues). */
export const WORKER_QUEUE = "ebbflow";

/** Redis key prefix for Ebbflow's BullMQ data, so it never mixes with other apps' keys. */
export const WORKER_PREFIX = "ebbflow:bull";


/** The queue that carries tenant checks, apart from upkeep so that neither starves the other. */
export const CHECKS_QUEUE = "ebbflow-checks";
