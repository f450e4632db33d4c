import { Alert, Button, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../../api/client';
import { AlertIcon, InfoIcon } from '../../../components/icons';
import { formatCount, pluralForm } from '../../../i18n/format';
import { useLocale } from '../../../i18n/useLocale';
import { pointsText } from './activityTexts';
import type { Sent } from './ClaimResult';
import { type ClaimDraft, clearClaimDraft, readClaimDraft, saveClaimDraft } from './claimDraft';
import {
  type ClaimField,
  type Explained,
  explainClaimFailure,
  type FieldErrors,
} from './claimProblems';
import classes from './earn.module.css';
import { fetchWallet, findMyClaimWithPhoto, sendClaim, useMyClaims } from './earnApi';
import { formNeeds, parseQuantity, pointsFor } from './earnRules';
import type { Activity, Claim, ClaimDraftBody } from './earnTypes';
import { LocationField } from './LocationField';
import { PhotoField } from './PhotoField';
import { SiteCodeScan } from './SiteCodeScan';

const isPhotoUsed = (error: unknown) =>
  error instanceof ApiError && error.errors.some((e) => e.code === 'photo_used');

const FIELD_ORDER: ClaimField[] = ['quantity', 'siteCode', 'photo', 'location', 'note'];

/**
 * The claim form: only the fields the activity needs, each explained; what is typed is kept for
 * this tab until the claim is stored, and its one clientClaimId makes a resend safe.
 */
export function ClaimForm({
  activity,
  onSent,
}: {
  activity: Activity;
  onSent: (sent: Sent) => void;
}) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const terms = activity.current;
  const needs = formNeeds(terms);
  const claims = useMyClaims();
  const [draft, setDraft] = useState<ClaimDraft>(() => readClaimDraft(activity.id));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<Explained | null>(null);
  const [busy, setBusy] = useState(false);
  const [photoBusy, setPhotoBusy] = useState(false);
  const refs = {
    quantity: useRef<HTMLInputElement>(null),
    siteCode: useRef<HTMLInputElement>(null),
    photo: useRef<HTMLButtonElement>(null),
    location: useRef<HTMLButtonElement>(null),
    note: useRef<HTMLTextAreaElement>(null),
  };
  const failureRef = useRef<HTMLDivElement>(null);

  useEffect(() => saveClaimDraft(activity.id, draft), [activity.id, draft]);
  useEffect(() => {
    if (!failure) return;
    const still = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    failureRef.current?.scrollIntoView({ block: 'center', behavior: still ? 'auto' : 'smooth' });
  }, [failure]);

  const claimWithPhoto = (photoId: string) =>
    findMyClaimWithPhoto(activity.id, photoId).catch(() => null);

  const update = (change: Partial<ClaimDraft>, field?: ClaimField) => {
    setDraft((current) => ({ ...current, ...change }));
    if (field && fieldErrors[field]) {
      setFieldErrors(({ [field]: _, ...rest }) => rest);
    }
  };

  const showFieldErrors = (errors: FieldErrors) => {
    setFieldErrors(errors);
    const first = FIELD_ORDER.find((field) => errors[field]);
    if (first) refs[first].current?.focus();
  };

  const quantity = needs.quantity ? parseQuantity(draft.quantity) : null;
  const worth = needs.quantity && quantity !== null ? pointsFor(terms, quantity) : null;

  const localErrors = (): FieldErrors => {
    const errors: FieldErrors = {};
    if (needs.quantity && quantity === null) {
      errors.quantity = draft.quantity.trim()
        ? t('earn.form.fieldErrors.quantity')
        : t('earn.form.fieldErrors.quantityMissing');
    }
    if (needs.siteCode === 'required' && !draft.siteCode.trim()) {
      errors.siteCode = t('earn.form.fieldErrors.siteCodeMissing');
    }
    if (needs.photo === 'required' && !draft.photo) errors.photo = t('earn.form.fieldErrors.photo');
    if (needs.location === 'required' && !draft.location) {
      errors.location = t('earn.form.fieldErrors.location');
    }
    return errors;
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFailure(null);
    if (photoBusy) {
      setFailure({ title: t('earn.form.errors.title'), text: t('earn.form.errors.photoBusy') });
      return;
    }
    const errors = localErrors();
    if (Object.keys(errors).length > 0) {
      showFieldErrors(errors);
      return;
    }
    const body: ClaimDraftBody = { activityId: activity.id, clientClaimId: draft.clientClaimId };
    if (needs.quantity && quantity !== null) body.quantity = quantity;
    if (draft.note.trim()) body.note = draft.note.trim();
    if (needs.siteCode !== 'none' && draft.siteCode.trim()) {
      body.siteCode = draft.siteCode.trim().toUpperCase();
    }
    if (needs.photo !== 'none' && draft.photo) body.photoIds = [draft.photo.id];
    if (needs.location !== 'none' && draft.location) {
      body.latitude = draft.location.latitude;
      body.longitude = draft.location.longitude;
    }
    // Kept before sending: if the answer is lost, a resend carries the same clientClaimId.
    saveClaimDraft(activity.id, draft);
    setBusy(true);
    const finish = async (claim: Claim) => {
      clearClaimDraft(activity.id);
      const balance =
        claim.status === 'approved'
          ? await fetchWallet().then(
              (wallet) => wallet.points,
              () => null,
            )
          : null;
      onSent({ claim, balance });
    };
    try {
      await finish(await sendClaim(body));
    } catch (error) {
      const earlier =
        draft.photo && isPhotoUsed(error) ? await claimWithPhoto(draft.photo.id) : null;
      if (earlier) {
        await finish(earlier);
        return;
      }
      setBusy(false);
      const problem = explainClaimFailure(t, error, {
        activity,
        claims: claims.status === 'ready' ? claims.data.items : [],
        locale,
        now: new Date(),
      });
      if (problem.kind === 'fields') {
        if (problem.dropPhoto) update({ photo: null });
        showFieldErrors(problem.errors);
      } else {
        setFailure(problem);
      }
    }
  };

  const invalidCount = Object.keys(fieldErrors).length;
  return (
    <form onSubmit={(event) => void onSubmit(event)} noValidate className={classes.form}>
      <Stack gap="lg">
        <Text className={classes.description}>{t('earn.form.intro')}</Text>
        {needs.quantity && (
          <TextInput
            ref={refs.quantity}
            label={t(`earn.form.quantity.${needs.quantity}`)}
            description={pointsText(t, terms.points, locale)}
            size="lg"
            inputMode="decimal"
            autoComplete="off"
            name="quantity"
            value={draft.quantity}
            onChange={(event) => update({ quantity: event.currentTarget.value }, 'quantity')}
            error={fieldErrors.quantity}
            required
            data-testid="claim-quantity"
          />
        )}
        {worth !== null && (
          <Text fw={700} aria-live="polite" data-testid="claim-worth">
            {t(`earn.form.worth.${pluralForm(worth, locale)}`, {
              points: formatCount(worth, locale),
            })}
          </Text>
        )}
        {needs.siteCode !== 'none' && (
          <TextInput
            ref={refs.siteCode}
            label={t('earn.form.siteCode.label')}
            description={t('earn.form.siteCode.hint')}
            size="lg"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            name="siteCode"
            maxLength={12}
            value={draft.siteCode}
            onChange={(event) => update({ siteCode: event.currentTarget.value }, 'siteCode')}
            error={fieldErrors.siteCode}
            required={needs.siteCode === 'required'}
            data-testid="claim-site-code"
          />
        )}
        {needs.siteCode !== 'none' && (
          <SiteCodeScan
            onCode={(code) => {
              update({ siteCode: code }, 'siteCode');
              refs.siteCode.current?.focus();
            }}
          />
        )}
        {needs.photo !== 'none' && (
          <PhotoField
            photo={draft.photo}
            need={needs.photo}
            error={fieldErrors.photo}
            buttonRef={refs.photo}
            onBusyChange={setPhotoBusy}
            onChange={(photo) => update({ photo }, 'photo')}
          />
        )}
        {needs.location !== 'none' && (
          <LocationField
            location={draft.location}
            need={needs.location}
            error={fieldErrors.location}
            buttonRef={refs.location}
            onChange={(location) => update({ location }, 'location')}
          />
        )}
        <Textarea
          ref={refs.note}
          label={t('earn.form.note.label')}
          description={t('earn.form.note.hint')}
          size="lg"
          autosize
          minRows={2}
          maxLength={1000}
          name="note"
          value={draft.note}
          onChange={(event) => update({ note: event.currentTarget.value }, 'note')}
          error={fieldErrors.note}
          data-testid="claim-note"
        />
        <div ref={failureRef}>
          {failure && (
            <Alert
              role="alert"
              color={failure.refusal ? 'notice' : 'red'}
              variant="light"
              icon={failure.refusal ? <InfoIcon /> : <AlertIcon />}
              title={failure.title}
              data-testid="claim-failure"
              classNames={{ message: classes.alertText, title: classes.alertText }}
            >
              <Text>{failure.text}</Text>
              {failure.showClaims && (
                <Button
                  component={Link}
                  to="/resident/claims"
                  variant="default"
                  size="md"
                  mt="sm"
                  className={classes.wrap}
                  classNames={{ label: classes.wrapLabel }}
                >
                  {t('myClaims.link')}
                </Button>
              )}
            </Alert>
          )}
          {invalidCount > 0 && !failure && (
            <Text role="alert" className={classes.fieldError} data-testid="claim-invalid">
              {t('earn.form.errors.invalid')}
            </Text>
          )}
        </div>
        <Button
          type="submit"
          size="xl"
          fullWidth
          loading={busy}
          className={classes.wrap}
          classNames={{ label: classes.wrapLabel }}
          data-testid="claim-send"
        >
          {t('earn.form.submit')}
        </Button>
        {busy && (
          <Text role="status" ta="center" className={classes.muted}>
            {t('earn.form.sending')}
          </Text>
        )}
      </Stack>
    </form>
  );
}
