import { Type } from 'typebox';
import { PARTNER_ROLES, STAFF_ROLES } from '../../shared/roles.js';
import { LocaleSchema } from '../../shared/schemas.js';

/** TypeBox schemas for users (staff, operators, partner users) and their sign-in. */

const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('staff'), Type.Literal('operator'), Type.Literal('partner')]),
    municipalityId: Nullable(Type.String()),
    partnerId: Nullable(Type.String()),
    email: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(Type.String()),
    preferredLocale: LocaleSchema,
    status: Type.Union([Type.Literal('invited'), Type.Literal('active'), Type.Literal('disabled')]),
    createdAt: Type.String(),
    lastSignInAt: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

export const UserListSchema = Type.Object({ items: Type.Array(UserSchema) });

export const MyUserSchema = Type.Object(
  {
    user: UserSchema,
    municipalitySlug: Nullable(Type.String()),
    csrfToken: Type.String({ description: 'Send it as x-csrf-token with every unsafe request.' }),
  },
  { additionalProperties: false },
);

export const UserEmailLinkRequestSchema = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    locale: Type.Optional(LocaleSchema),
  },
  { additionalProperties: false },
);

const roleList = (roles: readonly string[]) =>
  Type.Array(Type.Union(roles.map((role) => Type.Literal(role))), {
    minItems: 1,
    maxItems: roles.length,
  });

export const StaffRolesSchema = roleList(STAFF_ROLES);
export const PartnerRolesSchema = roleList(PARTNER_ROLES);

const inviteFields = {
  email: Type.String({ minLength: 3, maxLength: 254 }),
  displayName: Type.String({ minLength: 1, maxLength: 120 }),
  locale: Type.Optional(LocaleSchema),
};

export const InviteStaffSchema = Type.Object(
  { ...inviteFields, roles: StaffRolesSchema },
  { additionalProperties: false },
);

export const InvitePartnerUserSchema = Type.Object(
  { ...inviteFields, roles: PartnerRolesSchema },
  { additionalProperties: false },
);

export const InviteOperatorSchema = Type.Object(inviteFields, { additionalProperties: false });

const statusChange = Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')]));

export const UpdateStaffSchema = Type.Object(
  { roles: Type.Optional(StaffRolesSchema), status: statusChange },
  { additionalProperties: false, minProperties: 1 },
);

export const UpdatePartnerUserSchema = Type.Object(
  { roles: Type.Optional(PartnerRolesSchema), status: statusChange },
  { additionalProperties: false, minProperties: 1 },
);

export const UpdateOperatorSchema = Type.Object(
  { status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]) },
  { additionalProperties: false },
);

export const SlugUserParamsSchema = Type.Object({
  slug: Type.String({ minLength: 1, maxLength: 63 }),
  userId: Type.String({ minLength: 1, maxLength: 64 }),
});

export const UserParamsSchema = Type.Object({
  userId: Type.String({ minLength: 1, maxLength: 64 }),
});
