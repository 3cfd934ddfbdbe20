from yimen.org.selectors import active_membership

SESSION_MEMBER = "yimen_member_id"


class MemberMiddleware:
    """Sets request.member (the seat the user acts in); the idle timeout is yimen/org/idle.py's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.member = None
        if request.user.is_authenticated:
            request.member = active_membership(request.user, request.session.get(SESSION_MEMBER))
        return self.get_response(request)
