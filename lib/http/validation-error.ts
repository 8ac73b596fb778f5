import type { ZodError } from "zod";
import { AppError } from "@/lib/errors";

/** One field that failed validation: its path (`queues.0.depth`, "" for the whole body) and why. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** The issues of a ZodError as the answer carries them, for forms to put beside their fields. */
export function validationIssues(error: ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message }));
}

/** A 422 whose message names every bad field and whose details carry them one by one. */
export function validationError(error: ZodError): AppError {
  const issues = validationIssues(error);
  const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join("; ");
  return new AppError("invalid_params", message, { issues });
}

/** A 422 about one field, for checks zod cannot make (the plan allows it, the name matches). */
export function invalidField(path: string, message: string): AppError {
  return new AppError("invalid_params", `${path}: ${message}`, { issues: [{ path, message }] });
}
