import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { Body } from '../../common/http/validated-params';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Endpoint, VENDOR_ERRORS } from '../../common/http/endpoint.decorator';
import { Meta, type RequestMeta } from '../../common/http/request-meta';
import { Audited } from '../audit/audited.decorator';
import { emailParam } from '../users/email-param';
import { ArchiveUserView, RenameArchiveUserDto } from './archive.dto';
import { ArchiveUsersService } from './archive-users.service';

@ApiTags('Archive')
@Controller('v1/tenants/:tenantId/archive/users')
export class ArchiveUsersController {
  constructor(private readonly users: ArchiveUsersService) {}

  @Post(':email/rename')
  @HttpCode(200)
  @Endpoint({
    summary: 'Rename an archive user',
    description:
      'MailStore RenameUser; the archived mail stays with the user. Everything else about archive users is `/v1/tenants/{t}/users/{email}?service=archive`. 409 when the tenant has no archive connection.',
    scopes: ['users:write'],
    errors: VENDOR_ERRORS,
  })
  @ApiOkResponse({ type: ArchiveUserView, description: 'The user under its new name.' })
  @Audited({ action: 'user.renamed', resourceType: 'user' })
  rename(
    @Meta() meta: RequestMeta,
    @Param('tenantId') tenantId: string,
    @Param('email') email: string,
    @Body() body: RenameArchiveUserDto,
  ): Promise<ArchiveUserView> {
    return this.users.rename(meta, tenantId, emailParam(email, 'email'), body.newEmail);
  }
}
