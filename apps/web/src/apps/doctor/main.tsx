import { mountMobileApp } from '../mobile/bootstrap';

mountMobileApp('doctor');
