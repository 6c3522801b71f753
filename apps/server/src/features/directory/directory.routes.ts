import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { DirectoryQuery, PublicDoctor, PublicDoctorList } from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { sendImage } from '../onboarding/onboarding.routes.js';
import type { DirectoryService } from './directory.service.js';

const tags = ['directory'];

export async function directoryRoutes(fastify: FastifyInstance, opts: { directory: DirectoryService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { directory } = opts;
  app.get(
    '/api/public/doctors',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary:
          'Approved doctors matching a search of name, title, hospital, department and expertise (public fields only, ONB-5)',
        querystring: DirectoryQuery,
        response: { 200: PublicDoctorList },
      },
    },
    async (req) => ({ doctors: await directory.list(req.query) }),
  );
  const idParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.get(
    '/api/public/doctors/:id',
    {
      config: { access: access.public },
      schema: { tags, summary: 'One approved doctor', params: idParam, response: { 200: PublicDoctor } },
    },
    async (req) => directory.get(req.params.id),
  );
  app.get(
    '/api/public/doctors/:id/avatar',
    { config: { access: access.public }, schema: { tags, summary: 'Avatar of an approved doctor', params: idParam } },
    async (req, reply) => sendImage(reply, await directory.avatar(req.params.id), 'public, max-age=300'),
  );
}
