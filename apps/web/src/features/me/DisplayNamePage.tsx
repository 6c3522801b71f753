import { Button, Toast } from 'antd-mobile';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, toApiError } from '../../lib/api';
import { Page } from '../../ui/mobile/Page';
import { TextField } from '../../ui/mobile/TextField';
import { useMe, useSession } from '../session/SessionContext';

const MAX = 40;

export function DisplayNamePage() {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const navigate = useNavigate();
  const [value, setValue] = useState(me.displayName ?? '');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const name = value.trim();
    if (!name) return setError(t('me.nameRequired'));
    if ([...name].length > MAX) return setError(t('me.nameTooLong'));
    setSaving(true);
    try {
      session.setMe(await api.updateMe({ displayName: name }));
      Toast.show({ icon: 'success', content: t('me.nameSaved') });
      navigate('/me', { replace: true });
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Page title={t('me.editName')} backTo="/me">
      <form className="ax-card" onSubmit={(e) => void save(e)} noValidate>
        <TextField
          label={t('me.displayName')}
          value={value}
          onChange={(v) => {
            setValue(v);
            if (error) setError(undefined);
          }}
          placeholder={t('me.namePlaceholder')}
          maxLength={MAX}
          autoComplete="nickname"
          enterKeyHint="done"
          error={error}
          hint={t('me.nameHint')}
          testId="display-name-input"
          autoFocus
        />
        <Button
          block
          type="submit"
          color="primary"
          size="large"
          loading={saving}
          loadingText={t('common.saving')}
          data-testid="display-name-save"
        >
          {t('common.save')}
        </Button>
      </form>
    </Page>
  );
}
