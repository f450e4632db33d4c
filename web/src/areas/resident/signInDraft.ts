// What was typed in the sign-in form, kept for this tab so that a dropped connection, a reload
// or a "send another link" never makes the resident type it again.
const KEY = 'civicpoints.signIn';

export interface SignInDraft {
  email: string;
  municipality: string;
}

export function readDraft(): SignInDraft {
  try {
    const value = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Partial<SignInDraft> | null;
    return {
      email: typeof value?.email === 'string' ? value.email : '',
      municipality: typeof value?.municipality === 'string' ? value.municipality : '',
    };
  } catch {
    return { email: '', municipality: '' };
  }
}

export function saveDraft(draft: SignInDraft): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Storage can be unavailable (private mode); the form still keeps its state on this page.
  }
}
