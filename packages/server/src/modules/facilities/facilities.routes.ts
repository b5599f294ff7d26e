import { Type } from 'typebox';
import { ErrorBody, FacilityBody, FacilityQuery, FacilityView, IdParams } from '@avior/contract';
import type { App } from '../../gateway/app-types.ts';
import { authenticate, requireRole } from '../../gateway/auth.ts';
import { notFound } from '../../platform/errors/error-catalogue.ts';
import { newId } from '../../platform/ids.ts';
import type { FacilitiesRepository, FacilityRow } from './facilities.repository.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export function registerFacilitiesRoutes(app: App, facilities: FacilitiesRepository): void {
  app.get(
    '/v1/facilities',
    {
      onRequest: authenticate,
      schema: {
        tags: ['facilities'],
        summary: 'List or search facilities',
        querystring: FacilityQuery,
        response: { 200: Type.Array(FacilityView), ...errors },
      },
    },
    async (request) => {
      const { q, limit = 100, offset = 0 } = request.query;
      const rows = await facilities.list(request.principal.orgId, {
        ...(q ? { q } : {}),
        limit,
        offset,
      });
      return rows.map(toFacilityView);
    },
  );

  app.get(
    '/v1/facilities/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['facilities'],
        summary: 'One facility',
        params: IdParams,
        response: { 200: FacilityView, ...errors },
      },
    },
    async (request) => {
      const row = await facilities.find(request.principal.orgId, request.params.id);
      if (!row) throw notFound('Facility', request.params.id);
      return toFacilityView(row);
    },
  );

  app.post(
    '/v1/facilities',
    {
      onRequest: authenticate,
      schema: {
        tags: ['facilities'],
        summary: 'Create a facility',
        body: FacilityBody,
        response: { 201: FacilityView, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ['admin', 'manager'], 'create facilities');
      const row = { id: newId(), org_id: request.principal.orgId, ...toColumns(request.body) };
      await facilities.insert(row);
      return reply.status(201).send(toFacilityView(row));
    },
  );

  app.put(
    '/v1/facilities/:id',
    {
      onRequest: authenticate,
      schema: {
        tags: ['facilities'],
        summary: 'Replace a facility',
        params: IdParams,
        body: FacilityBody,
        response: { 200: FacilityView, ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['admin', 'manager'], 'change facilities');
      const row = await facilities.update(
        request.principal.orgId,
        request.params.id,
        toColumns(request.body),
      );
      if (!row) throw notFound('Facility', request.params.id);
      return toFacilityView(row);
    },
  );
}

function toColumns(body: FacilityBody) {
  return {
    name: body.name,
    kind: body.kind,
    address: body.address ?? '',
    latitude: body.latitude ?? null,
    longitude: body.longitude ?? null,
    updated_at: new Date(),
  };
}

function toFacilityView(row: Omit<FacilityRow, 'created_at'>): FacilityView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    address: row.address,
    latitude: row.latitude,
    longitude: row.longitude,
    updatedAt: row.updated_at.toISOString(),
  };
}
