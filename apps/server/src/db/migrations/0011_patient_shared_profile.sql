-- What a patient may choose to share with the doctors they consult: an age band and their sex. Both optional,
-- set and cleared by the patient in 我的/Me, encrypted under the patient's own key like the display name.

alter table users add column age_band_enc bytea;
alter table users add column sex_enc bytea;
