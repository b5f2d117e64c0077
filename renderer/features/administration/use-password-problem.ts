import { useEffect, useState } from 'react';

import type * as PasswordRules from '../../../shared/domain/password-rules';

type Rules = typeof PasswordRules;
let loading: Promise<Rules> | null = null;

/**
 * The force's password rule applied as the administrator types: null when the password may be set, else why not in
 * words (the server checks the same rule again). The rule's common-password list is loaded on first use, so the
 * windows that never set a password never carry it. Empty input says nothing yet.
 */
export function usePasswordProblem(password: string, about: { name: string; displayName?: string }): string | null {
  const [problem, setProblem] = useState<{ for: string; text: string | null } | null>(null);
  const key = `${password}\u0000${about.name}\u0000${about.displayName ?? ''}`;
  useEffect(() => {
    if (!password) return;
    let current = true;
    loading ??= import('../../../shared/domain/password-rules');
    void loading.then((rules) => {
      if (current) setProblem({ for: key, text: rules.passwordProblem(password, about) });
    });
    return () => {
      current = false;
    };
    // `key` stands for the password and the names it is checked against.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (!password) return null;
  return problem?.for === key ? problem.text : null;
}
