import { type DynoSize, findDynoSize, maxDynosPerApp } from "../dyno-sizes";
import { herokuErrors } from "../heroku-error";

export interface CurrentProcessType {
  type: string;
  /** The formation's id, which a request may use instead of the type name. */
  id: string;
  quantity: number;
  size: DynoSize;
}

export interface RequestedChange {
  /** Process type name or formation id. */
  type: string;
  quantity?: number;
  /** Dyno size name or id. */
  size?: string;
}

export interface PlannedChange {
  type: string;
  quantity: number;
  size: DynoSize;
}

/**
 * Checks a (batch) formation update the way Heroku does and returns the changes to make, or
 * throws the HerokuError Heroku would answer. Nothing is applied unless every change passes:
 * unknown process type (404), bad quantity or size (422 invalid_params), Eco/Basic above one
 * dyno and Performance above ten per process type, or more than 100 dynos in the app
 * (422 cannot_run_above_limit).
 */
export function planFormationUpdate(current: CurrentProcessType[], requested: RequestedChange[]): PlannedChange[] {
  const planned = new Map<string, PlannedChange>();
  for (const change of requested) {
    const processType = current.find((candidate) => candidate.type === change.type || candidate.id === change.type);
    if (!processType) throw herokuErrors.notFound(`Couldn't find that process type (${change.type}).`);
    const previous = planned.get(processType.type) ?? {
      type: processType.type,
      quantity: processType.quantity,
      size: processType.size,
    };
    let quantity = previous.quantity;
    if (change.quantity !== undefined) {
      if (!Number.isInteger(change.quantity) || change.quantity < 0) {
        throw herokuErrors.invalidParams(`Invalid quantity for ${processType.type}: must be a whole number, 0 or more.`);
      }
      quantity = change.quantity;
    }
    let size = previous.size;
    if (change.size !== undefined) {
      const found = findDynoSize(change.size);
      if (!found) throw herokuErrors.invalidParams(`Invalid dyno size: ${change.size}.`);
      size = found;
    }
    planned.set(processType.type, { type: processType.type, quantity, size });
  }

  for (const change of planned.values()) {
    const limit = change.size.maxPerProcessType;
    if (limit !== null && change.quantity > limit) {
      throw herokuErrors.cannotRunAboveLimit(
        `Cannot run more than ${limit} ${change.size.displayName} size dynos per process type.`,
        limit,
        change.size.displayName,
      );
    }
  }

  const total = current.reduce((sum, processType) => sum + (planned.get(processType.type) ?? processType).quantity, 0);
  if (total > maxDynosPerApp) {
    const largest = [...planned.values()].sort((a, b) => b.quantity - a.quantity)[0];
    throw herokuErrors.cannotRunAboveLimit(
      `Cannot run more than ${maxDynosPerApp} dynos per app.`,
      maxDynosPerApp,
      largest?.size.displayName ?? "",
    );
  }
  return [...planned.values()];
}
