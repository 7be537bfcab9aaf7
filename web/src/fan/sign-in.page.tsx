import { useState, type FormEvent } from 'react';
import { flushSync } from 'react-dom';
import { request, messageOf } from '../api/client';
import { graphql } from '../generated';
import { navigate } from '../router';
import { useSession } from '../session';
import { Problem } from '../ui/widgets';

const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) { token user { id name email role } }
  }
`);

const LogIn = graphql(`
  mutation LogIn($email: String!, $password: String!) {
    logIn(email: $email, password: $password) { token user { id name email role } }
  }
`);

/** One screen for both: a fan new to the site signs up, a returning one logs in. */
export function SignInPage({ next }: { next: string }) {
  const { signIn } = useSession();
  const [mode, setMode] = useState<'logIn' | 'signUp'>('logIn');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const payload =
        mode === 'signUp' ? (await request(SignUp, { input: { name, email, password } })).signUp : (await request(LogIn, { email, password })).logIn;
      // The session before the move: navigate's popstate is a discrete event that React renders at
      // once, ahead of a plain update, so a signed-in-only `next` would see no session and bounce here.
      flushSync(() => signIn(payload));
      navigate(next);
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="sign-in-title" className="narrow">
      <h1 id="sign-in-title">{mode === 'signUp' ? 'Create your account' : 'Log in'}</h1>
      <form onSubmit={(event) => void submit(event)}>
        {mode === 'signUp' && (
          <label>
            Name
            <input name="name" autoComplete="name" required value={name} onChange={(event) => setName(event.target.value)} />
          </label>
        )}
        <label>
          E-mail
          <input name="email" type="email" autoComplete="email" required value={email} onChange={(event) => setEmail(event.target.value)} />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autoComplete={mode === 'signUp' ? 'new-password' : 'current-password'}
            minLength={mode === 'signUp' ? 8 : undefined}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <Problem message={problem} />
        <button type="submit" disabled={busy}>
          {mode === 'signUp' ? 'Sign up' : 'Log in'}
        </button>
      </form>
      <p>
        {mode === 'signUp' ? 'Already have an account?' : 'New here?'}{' '}
        <button type="button" className="link" onClick={() => (setMode(mode === 'signUp' ? 'logIn' : 'signUp'), setProblem(null))}>
          {mode === 'signUp' ? 'Log in instead' : 'Create an account'}
        </button>
      </p>
    </section>
  );
}
