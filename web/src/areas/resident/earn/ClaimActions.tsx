import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../api/client';
import classes from './earn.module.css';
import { appealClaim, withdrawClaim } from './earnApi';
import type { Claim } from './earnTypes';

type ActionError = 'network' | 'signedOut' | 'claim_decided' | 'appeal_used' | 'server';

function actionErrorOf(error: unknown): ActionError {
  if (!(error instanceof ApiError) || error.kind === 'network') return 'network';
  if (error.status === 401) return 'signedOut';
  if (error.code === 'claim_decided' || error.code === 'claim_not_rejected') return 'claim_decided';
  if (error.code === 'appeal_used') return 'appeal_used';
  return 'server';
}

/** What the resident can still do with a claim: withdraw it while it waits, appeal a "no" once. */
export function ClaimActions({
  claim,
  onChange,
}: {
  claim: Claim;
  onChange: (claim: Claim) => void;
}) {
  if (claim.status === 'submitted') return <Withdraw claim={claim} onChange={onChange} />;
  if (claim.status === 'rejected' && !claim.appealedAt) {
    return <Appeal claim={claim} onChange={onChange} />;
  }
  return null;
}

function Withdraw({ claim, onChange }: { claim: Claim; onChange: (claim: Claim) => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);

  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      onChange(await withdrawClaim(claim.id));
    } catch (failure) {
      setError(actionErrorOf(failure));
      setBusy(false);
    }
  };

  return (
    <Stack gap="xs">
      {error && (
        <Text role="alert" className={classes.fieldError}>
          {t(`myClaims.errors.${error}`)}
        </Text>
      )}
      {asking ? (
        <>
          <Text fw={600}>{t('myClaims.withdrawConfirm')}</Text>
          <Group gap="sm" grow wrap="wrap">
            <Button
              color="red"
              size="md"
              className={classes.wrap}
              classNames={{ label: classes.wrapLabel }}
              loading={busy}
              onClick={() => void withdraw()}
            >
              {t('myClaims.withdrawYes')}
            </Button>
            <Button
              variant="default"
              size="md"
              className={classes.wrap}
              classNames={{ label: classes.wrapLabel }}
              disabled={busy}
              onClick={() => setAsking(false)}
            >
              {t('myClaims.withdrawNo')}
            </Button>
          </Group>
        </>
      ) : (
        <Button
          variant="default"
          size="md"
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          style={{ alignSelf: 'flex-start' }}
          onClick={() => setAsking(true)}
        >
          {t('myClaims.withdraw')}
        </Button>
      )}
    </Stack>
  );
}

function Appeal({ claim, onChange }: { claim: Claim; onChange: (claim: Claim) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<ActionError | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);

  const send = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!note.trim()) {
      setMissing(true);
      field.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onChange(await appealClaim(claim.id, note.trim()));
    } catch (failure) {
      setError(actionErrorOf(failure));
      setBusy(false);
    }
  };

  if (!open) {
    return (
      <Button
        variant="light"
        size="md"
        className={classes.wrap}
        classNames={{ label: classes.wrapLabel }}
        style={{ alignSelf: 'flex-start' }}
        onClick={() => {
          setOpen(true);
          requestAnimationFrame(() => field.current?.focus());
        }}
      >
        {t('myClaims.appeal')}
      </Button>
    );
  }
  return (
    <form onSubmit={(event) => void send(event)} noValidate className={classes.form}>
      <Stack gap="sm">
        <Textarea
          ref={field}
          label={t('myClaims.appealLabel')}
          description={t('myClaims.appealHint')}
          size="md"
          autosize
          minRows={2}
          maxLength={1000}
          value={note}
          onChange={(event) => {
            setNote(event.currentTarget.value);
            setMissing(false);
          }}
          error={missing ? t('myClaims.appealRequired') : undefined}
          required
        />
        {error && (
          <Text role="alert" className={classes.fieldError}>
            {t(`myClaims.errors.${error}`)}
          </Text>
        )}
        <Group gap="sm" grow wrap="wrap">
          <Button
            type="submit"
            size="md"
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            loading={busy}
          >
            {t('myClaims.appealSend')}
          </Button>
          <Button
            variant="default"
            size="md"
            className={classes.wrap}
            classNames={{ label: classes.wrapLabel }}
            disabled={busy}
            onClick={() => setOpen(false)}
          >
            {t('myClaims.appealCancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
