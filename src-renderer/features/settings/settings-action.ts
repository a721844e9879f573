import { errorMessage, toast } from '../../ui/toasts';

/** Runs a settings action (disable, activate, add a member…) and says how it went; false when refused. */
export async function run(action: () => Promise<unknown>, done: string): Promise<boolean> {
  try {
    await action();
    toast({ tone: 'success', message: `${done.charAt(0).toUpperCase()}${done.slice(1)}.` });
    return true;
  } catch (error) {
    toast({ tone: 'error', message: errorMessage(error) });
    return false;
  }
}
