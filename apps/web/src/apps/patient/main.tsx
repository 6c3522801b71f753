import { mountMobileApp } from '../mobile/bootstrap';

mountMobileApp('patient');
