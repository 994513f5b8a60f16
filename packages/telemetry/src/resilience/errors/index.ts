export { ResilienceError, BreakerOpenError, TimeoutError, RetryBudgetExceededError, HttpStatusError, abortReason } from './resilience-errors.js';
